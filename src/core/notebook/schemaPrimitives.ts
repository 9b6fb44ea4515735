import { z } from 'zod';
import { NOTEBOOK_LIMITS as L } from './notebookLimits.ts';

// The bounded strings, numbers and names every part of the document schema is built from.

export const posInt = (max: number) => z.number().int().min(1).max(max);
export const nonNegInt = (max: number) => z.number().int().min(0).max(max);
export const finite = z.number().refine(Number.isFinite, 'must be a finite number');

/** No control characters (newlines included) in names, labels and titles. */
export const line = (max: number, min = 0) =>
  z
    .string()
    .min(min)
    .max(max)
    // eslint-disable-next-line no-control-regex
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must be one line without control characters');

export const cellIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'ids use letters, digits, _ and -');

/** An input of an operation or einsum (x, weight, v, T1, …): a plain identifier. */
export const inputNameSchema = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'input names are identifiers (letters, digits, _)');

/** An index name as the einsum parser reads it (letters, digits, _, primes). */
export const legNameSchema = z
  .string()
  .min(1)
  .max(32)
  .regex(
    /^[\p{L}_](?:[\p{L}\p{N}_'′]|\u0303)*$/u,
    'index names start with a letter or _ and hold letters, digits, _ or primes',
  );

export const tensorIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}_.'′-]+$/u, 'tensor ids use letters, digits, _ . - and primes');

export const dimList = (max: number, min = 1) =>
  z.array(z.number().int().min(min).max(max)).min(1).max(L.maxSpatialDims);
