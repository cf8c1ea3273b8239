import { readFileSync, writeFileSync } from 'node:fs';
import { withAccessTable } from './accessTable.js';

/** `npm run docs:access -w records`: rewrites the README's access table from the role matrix. */
const readme = new URL('../../../README.md', import.meta.url);
const before = readFileSync(readme, 'utf8');
const after = withAccessTable(before);
if (after !== before) writeFileSync(readme, after);
console.log(after === before ? 'README access table already up to date' : 'README access table rewritten');
