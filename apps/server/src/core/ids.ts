import { v7 as uuidv7 } from 'uuid';

export type TenantId = string & { readonly __brand: 'TenantId' };

/** Time-ordered UUID (v7): index-friendly primary keys that still reveal nothing guessable. */
export function newId(): string {
  return uuidv7();
}

export function asTenantId(id: string): TenantId {
  return id as TenantId;
}
