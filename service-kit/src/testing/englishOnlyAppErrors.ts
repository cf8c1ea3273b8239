import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

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

/** `file:line` (relative to `sourceRoot`) of every `new AppError(code, <English-only message>)` in the file. */
function englishOnlyErrorsIn(file: string, sourceRoot: string): string[] {
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

/**
 * `file:line` of every `new AppError(code, message)` under `sourceRoot` (tests left out) whose specific message
 * is English text only: a person reading it in Arabic would get English. A message given as `{ en, ar }`, or none
 * (the catalog's), passes. For a service's own test that its refusals speak both languages.
 */
export function englishOnlyAppErrors(sourceRoot: string): string[] {
  return sourcesUnder(sourceRoot).flatMap((file) => englishOnlyErrorsIn(file, sourceRoot));
}
