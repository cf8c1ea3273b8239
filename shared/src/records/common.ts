import { z } from 'zod';

/** A name as a person writes it in Arabic and in Latin letters (for FHIR export and English screens). */
export const bilingualNameSchema = z.strictObject({
  ar: z.string().trim().min(1).max(120),
  latin: z.string().trim().min(1).max(120),
});
export type BilingualName = z.infer<typeof bilingualNameSchema>;

export const phoneSchema = z
  .string()
  .trim()
  .regex(/^\+?[0-9 -]{6,20}$/, {
    message: 'expected a phone number of 6 to 20 digits, optionally starting with +',
  });

export const isoDateSchema = z.iso.date({ message: 'expected a date as YYYY-MM-DD' });
export const isoDateTimeSchema = z.iso.datetime({ offset: true, message: 'expected an ISO 8601 date-time' });

/** IANA time zone; hospitals default to Cairo. */
export const timeZoneSchema = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected an IANA time zone such as Africa/Cairo' },
);
export const defaultTimeZone = 'Africa/Cairo';

/** Query string paging: `?page=2&limit=50`. Large offsets are refused rather than scanning a million rows. */
export const pageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type PageQuery = z.infer<typeof pageQuerySchema>;

/** A page of answers: `items` plus where it sits; `total` only where counting is cheap. */
export const pageSchema = <Item extends z.ZodType>(item: Item) =>
  z.object({
    items: z.array(item),
    page: z.number().int(),
    limit: z.number().int(),
    /** Whether a next page exists. */
    hasMore: z.boolean(),
    /** Where counting is cheap; a search over many matches leaves it out. */
    total: z.number().int().optional(),
  });
export type Page<T> = Omit<z.infer<ReturnType<typeof pageSchema>>, 'items'> & { items: T[] };

/** A whole list in one answer (bounded by the server), with no paging. */
export const listSchema = <Item extends z.ZodType>(item: Item) => z.object({ items: z.array(item) });

/** Free text fields: trimmed, bounded, never an object (which is how NoSQL injection arrives). */
export const shortTextSchema = z.string().trim().min(1).max(200);
export const longTextSchema = z.string().trim().max(20_000);
