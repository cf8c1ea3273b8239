/** The person's language from `Accept-Language`: English when they ask for it, Arabic (the hospital's) otherwise. */
export function preferredLocale(acceptLanguage: string | undefined): 'ar' | 'en' {
  return acceptLanguage?.trim().toLowerCase().startsWith('en') ? 'en' : 'ar';
}
