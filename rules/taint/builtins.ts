// What well-known methods and namespaces do to taint, for calls whose code the analysis cannot read.
import type ts from 'typescript';
import { globalName, moduleRef } from './modules';

/** Methods whose result is a number/boolean (or otherwise not the receiver's text). */
export const CLEAN_METHODS = new Set([
  'test', 'includes', 'startsWith', 'endsWith', 'indexOf', 'lastIndexOf', 'findIndex', 'findLastIndex', 'some', 'every',
  'has', 'localeCompare', 'charCodeAt', 'codePointAt', 'search', 'getTime', 'digest', 'toFixed', 'isArray', 'hasOwnProperty',
]);
/** Methods that build a new string/array from the receiver and their arguments. */
export const TRANSFORM_METHODS = new Set([
  'trim', 'trimStart', 'trimEnd', 'trimLeft', 'trimRight', 'split', 'map', 'flatMap', 'join', 'toLowerCase', 'toUpperCase',
  'toLocaleLowerCase', 'toLocaleUpperCase', 'slice', 'substring', 'substr', 'replace', 'replaceAll', 'concat', 'padStart',
  'padEnd', 'repeat', 'normalize', 'at', 'charAt', 'flat', 'filter', 'find', 'findLast', 'reverse', 'sort', 'toString',
  'valueOf', 'toJSON', 'pop', 'shift', 'values', 'entries', 'keys', 'fill', 'with', 'toSorted', 'toReversed', 'toSpliced',
  'reduce', 'reduceRight', 'then', 'catch', 'finally', 'format',
]);
/** Callback-taking methods whose callback receives the receiver's elements. */
export const ITERATION = new Set(['map', 'flatMap', 'forEach', 'filter', 'find', 'findLast', 'some', 'every', 'reduce', 'reduceRight', 'then', 'sort']);
/** Methods that store their arguments into the receiver. */
export const MUTATORS = new Set(['push', 'unshift', 'splice', 'set', 'add', 'append']);
/** Accessors whose literal argument names the input (`req.get('x-file')`). */
export const ACCESSORS = new Set(['get', 'header', 'param', 'getHeader']);
/** Namespaces whose functions reshape their arguments. */
export const TRANSFORM_GLOBALS = new Set(['String', 'Buffer', 'Object', 'Array', 'JSON', 'Promise', 'Reflect', 'URLSearchParams', 'querystring']);
export const TRANSFORM_MODULES = new Set(['path', 'path/posix', 'url', 'querystring', 'util', 'qs', 'lodash', 'underscore', 'buffer', 'string_decoder']);
/** Tagged templates that quote each interpolation for the shell (execa, zx). */
export const ESCAPING_TAGS = new Set(['execa', 'zx']);

/** `path.join`, `Buffer.from`, `JSON.parse`: a namespace whose functions reshape their arguments. */
export function isTransformNamespace(e: ts.Expression): boolean {
  const g = globalName(e);
  if (g && TRANSFORM_GLOBALS.has(g)) return true;
  const ref = moduleRef(e);
  return !!ref && ref.path.length === 0 && TRANSFORM_MODULES.has(ref.module);
}
