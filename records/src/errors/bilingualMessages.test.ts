import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const sourceRoot = join(import.meta.dirname, '..');

/** Every non-test source file under `dir`. */
function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('.d.ts'))
    .map((file) => join(dir, file));
}

/** A message written as English text only: a string, a template, a concatenation or another error's message. */
function isEnglishOnly(node: ts.Expression): boolean {
  if (ts.isParenthesizedExpression(node)) return isEnglishOnly(node.expression);
  if (ts.isConditionalExpression(node)) return isEnglishOnly(node.whenTrue) || isEnglishOnly(node.whenFalse);
  if (ts.isStringLiteralLike(node) || ts.isTemplateExpression(node)) return true;
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) return true;
  return ts.isPropertyAccessExpression(node) && node.name.text === 'message';
}

/** `file:line` of every `new AppError(code, <English-only message>)` in the file. */
function englishOnlyErrors(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && node.expression.getText(source) === 'AppError') {
      const message = node.arguments?.[1];
      if (message && isEnglishOnly(message)) {
        const { line } = source.getLineAndCharacterOfPosition(message.getStart(source));
        found.push(`${relative(sourceRoot, file)}:${line + 1}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('messages a person reads', () => {
  // Records' refusals and rules reach clinicians as they are: each one must say it in Arabic and English
  // ({ en, ar }), or leave the message to the catalog. A plain string would be answered in English only.
  it('gives every specific AppError message in Arabic and English', () => {
    expect(sourcesUnder(sourceRoot).flatMap(englishOnlyErrors)).toEqual([]);
  });
});
