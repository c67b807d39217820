// Paged lists are part of the wire contract (packages/contracts), shared with the web app.
export { pageOf, ZPageQuery } from '@innkeeper/contracts/api';

export type Page<T> = { data: T[]; total: number; page: number; pageSize: number };
