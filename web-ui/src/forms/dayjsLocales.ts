import dayjs from 'dayjs';
import 'dayjs/locale/ar.js';
import preParsePostFormat from 'dayjs/plugin/preParsePostFormat.js';

// The calendars of `@mantine/dates` format their labels (month and year headings, the year and decade lists)
// with dayjs in the page's locale; this plugin applies the Arabic locale's digits (٠١٢…) to them. Only a locale
// that defines them is affected, and the global locale stays English, so `YYYY-MM-DD` values keep Latin digits.
dayjs.extend(preParsePostFormat);
