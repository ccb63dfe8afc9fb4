// A typedoc plugin: one program documents every package, and typedoc names each
// module after its file ("docusign/src/v2"); readers look for the import path
// ("@esign-users/docusign/v2"). It also gives each package's main module the
// introduction and examples of the package's README. Both come from scripts/docs.ts.
import { Converter, MinimalSourceFile, ReflectionKind } from "typedoc";

export function load(app) {
  const names = JSON.parse(process.env.ESIGN_DOCS_MODULE_NAMES ?? "{}");
  /** import path → { file, text }: the README part to show on that module's page. */
  const readmes = JSON.parse(process.env.ESIGN_DOCS_READMES ?? "{}");
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    const parse = (readme) => app.converter.parseRawComment(new MinimalSourceFile(readme.text, readme.file), context.project.files).content;
    const modules = context.project.getReflectionsByKind(ReflectionKind.Module);
    for (const mod of modules) {
      if (names[mod.name]) mod.name = names[mod.name];
      if (readmes[mod.name]) mod.readme = parse(readmes[mod.name]);
    }
    // One entry point: typedoc makes the project itself that module.
    const only = Object.values(readmes);
    if (modules.length === 0 && only.length === 1) context.project.readme = parse(only[0]);
  });
}
