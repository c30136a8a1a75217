/** House format: single quotes, trailing commas, 110 columns. */
export default {
  singleQuote: true,
  trailingComma: 'all',
  printWidth: 110,
  semi: true,
};
