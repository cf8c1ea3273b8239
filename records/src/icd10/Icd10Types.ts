/** One WHO ICD-10 diagnosis code with its English (WHO) and Arabic titles. */
export type Icd10Entry = {
  code: string;
  en: string;
  ar: string;
};

/** Options for `Icd10Catalog.search`. */
export type Icd10SearchOptions = {
  /** Maximum number of results; defaults to 20 and is capped at 50. */
  limit?: number;
};
