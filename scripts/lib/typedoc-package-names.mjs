// A typedoc plugin: one program documents every package, and typedoc names each
// module after its file ("docusign/src/v2"); readers look for the import path
// ("@esign-users/docusign/v2"). The mapping comes from scripts/docs.ts.
import { Converter, ReflectionKind } from "typedoc";

export function load(app) {
  const names = JSON.parse(process.env.ESIGN_DOCS_MODULE_NAMES ?? "{}");
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const mod of context.project.getReflectionsByKind(ReflectionKind.Module)) {
      if (names[mod.name]) mod.name = names[mod.name];
    }
  });
}
