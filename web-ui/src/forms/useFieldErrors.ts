import { useCallback } from 'react';
import type { FieldError } from 'react-hook-form';
import type { MessageKey } from '../i18n/catalog.js';
import { type MessageValues, useT } from '../i18n/LocaleProvider.js';

/** What to say, per zod issue code (`too_small`, `invalid_format`, `custom`, …), when a field fails its schema. */
export type FieldMessages = Partial<Record<string, MessageKey | readonly [MessageKey, MessageValues]>>;

/**
 * The shared zod schemas speak English to developers; a person reads the field's own message in their
 * language, chosen by the code (which the zod resolver hands to react-hook-form as the error's type).
 */
export function useFieldErrors(): (
  error: FieldError | undefined,
  messages: FieldMessages,
) => string | undefined {
  const t = useT();
  return useCallback(
    (error, messages) => {
      if (!error) return undefined;
      const chosen = messages[String(error.type)] ?? messages.default;
      if (!chosen) return error.message;
      return typeof chosen === 'string' ? t(chosen) : t(chosen[0], chosen[1]);
    },
    [t],
  );
}
