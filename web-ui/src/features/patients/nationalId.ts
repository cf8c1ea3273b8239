import { nationalIdSchema } from '@telemed/shared';

/**
 * What a valid Egyptian national ID says about its holder: the birth date (century digit, then YYMMDD) and the
 * sex (digit 13: odd male, even female). Undefined when the shared schema refuses the ID.
 */
export function birthFromNationalId(text: string): { birthDate: string; sex: 'female' | 'male' } | undefined {
  const parsed = nationalIdSchema.safeParse(text);
  if (!parsed.success) return undefined;
  const id = parsed.data;
  const century = id[0] === '2' ? '19' : '20';
  return {
    birthDate: `${century}${id.slice(1, 3)}-${id.slice(3, 5)}-${id.slice(5, 7)}`,
    sex: Number(id[12]) % 2 === 1 ? 'male' : 'female',
  };
}
