import { describe, expectTypeOf, it } from "vitest";
import type { FlatInput, OperationMethod, OperationResult, RequestOptions } from "../src/index.js";

// Type tests, compiled (never run) by vitest's typecheck. Shapes as openapi-typescript writes them.
interface Ops {
  getJson: {
    parameters: { query?: { expand?: string }; header?: never; path: { id: string }; cookie?: never };
    requestBody?: never;
    responses: {
      200: { headers: Record<string, unknown>; content: { "application/json": { id: string } } };
      404: { headers: Record<string, unknown>; content: { "application/json": { error: string } } };
    };
  };
  getImage: {
    parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
    requestBody?: never;
    responses: {
      200: { headers: Record<string, unknown>; content: { "image/png": string; "image/gif": string } };
      404: { headers: Record<string, unknown>; content: { "application/json": { error: string } } };
    };
  };
  deleteIt: {
    parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
    requestBody?: never;
    responses: { 204: { headers: Record<string, unknown>; content?: never } };
  };
  createIt: {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    requestBody: { content: { "application/json": { name: string; note?: string } } };
    responses: { 201: { headers: Record<string, unknown>; content: { "application/json": { id: string } } } };
  };
  bulk: {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    requestBody: { content: { "application/json": { email: string }[] } };
    responses: { 204: { headers: Record<string, unknown>; content?: never } };
  };
}

describe("operation types", () => {
  it("results: JSON body, bytes for image-only answers, void without a body", () => {
    expectTypeOf<OperationResult<Ops["getJson"]>>().toEqualTypeOf<{ id: string }>();
    expectTypeOf<OperationResult<Ops["getImage"]>>().toEqualTypeOf<Uint8Array>();
    expectTypeOf<OperationResult<Ops["deleteIt"]>>().toEqualTypeOf<void>();
  });

  it("inputs: parameters and body fields flat; whole bodies under `body`", () => {
    expectTypeOf<FlatInput<Ops["getJson"]>>().toEqualTypeOf<{ id: string; expand?: string }>();
    expectTypeOf<FlatInput<Ops["createIt"]>>().toEqualTypeOf<{ name: string; note?: string }>();
    expectTypeOf<FlatInput<Ops["bulk"]>>().toEqualTypeOf<{ body: { email: string }[] }>();
  });

  it("methods: a wrong parameter name or a missing path parameter does not compile", () => {
    const get = (async () => ({ id: "1" })) as unknown as OperationMethod<Ops["getJson"]>;
    expectTypeOf(get).parameters.toEqualTypeOf<[{ id: string; expand?: string }, RequestOptions?]>();
    // @ts-expect-error `idd` is not a parameter
    void get({ idd: "1" });
    // @ts-expect-error the path parameter `id` is required
    void get({ expand: "x" });
  });
});
