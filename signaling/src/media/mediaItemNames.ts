import type { LocalizedMessage } from '@telemed/shared';

/** The media objects a participant names by id, as a person reads them at the start of a sentence. */
export const mediaItemNames = {
  transport: { en: 'transport', ar: 'ناقل الوسائط هذا' },
  producer: { en: 'producer', ar: 'البث المرسَل هذا' },
  consumer: { en: 'consumer', ar: 'البث المستقبَل هذا' },
} as const satisfies Record<string, LocalizedMessage>;

export type MediaItem = keyof typeof mediaItemNames;
