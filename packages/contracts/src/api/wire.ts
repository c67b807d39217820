import type { z } from 'zod';

/**
 * What a value becomes on the wire: the server answers with Dates, the client reads the JSON, where they are ISO
 * strings. Everything else passes through unchanged.
 */
export type Json<T> = T extends Date ? string : T extends ReadonlyArray<infer Item> ? Array<Json<Item>> : T extends object ? { [K in keyof T]: Json<T[K]> } : T;

/** The body a client sends to a route validated by `Schema` (defaults still optional, before transforms). */
export type RequestBody<Schema extends z.ZodType> = z.input<Schema>;

/** The JSON a client receives from a route whose response is `Schema`. */
export type ResponseBody<Schema extends z.ZodType> = Json<z.output<Schema>>;

/**
 * The query string a route reads, as a client writes it: numbers as numbers, times as ISO strings. Parameters with a
 * default are required here, so a client says which page it wants.
 */
export type QueryParams<Schema extends z.ZodType> = Json<z.output<Schema>>;
