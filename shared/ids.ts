import { customAlphabet } from 'nanoid';

// One id generator for every record, doc and workspace: 16 url-safe alphanumerics
// (~95 bits) so ids can sit in file names, room names and URLs without escaping.
const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const generate = customAlphabet(alphabet, 16);

export type Id = string;

export function newId(): Id {
  return generate();
}

export const idPattern = /^[0-9A-Za-z]{16}$/;

export function isId(value: unknown): value is Id {
  return typeof value === 'string' && idPattern.test(value);
}
