/**
 * Free text takes each paragraph's direction from its own first letter: an Arabic note stays right to left in
 * the English screens, a Latin drug name left to right in the Arabic ones.
 */
export const freeTextStyles = { input: { unicodeBidi: 'plaintext' } } as const;
