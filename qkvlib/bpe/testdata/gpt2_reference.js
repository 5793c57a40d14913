// Reference GPT-2 encoder for the Go tests: the npm package gpt-3-encoder.
//
//   node gpt2_reference.js PACKAGE_DIR ids FILE    FILE holds UTF-8 text;
//       prints the JSON array of its token ids.
//   node gpt2_reference.js PACKAGE_DIR batch FILE  FILE holds a JSON array of
//       strings; prints {"ids": [[...], ...], "pieces": [[...], ...]}: the ids
//       of each string and its pre-tokens, split by the package's own regex.
//
// PACKAGE_DIR is the installed package, e.g. .ci/node/node_modules/gpt-3-encoder.
'use strict';
const fs = require('fs');
const path = require('path');

const [dir, mode, file] = process.argv.slice(2);
const encoder = require(path.resolve(dir));

// The pre-tokenizer regex, taken from the package source rather than copied.
const source = fs.readFileSync(path.join(path.resolve(dir), 'Encoder.js'), 'utf8');
const found = source.match(/const pat = \/(.*)\/gu/);
if (!found) {
  console.error('gpt2_reference.js: no "const pat = /.../gu" in Encoder.js');
  process.exit(2);
}
const pat = new RegExp(found[1], 'gu');

if (mode === 'ids') {
  // encoder.encode concatenates arrays token by token, which takes half a
  // minute on a whole book: feed it chunks of about 256 consecutive
  // pre-tokens instead. A chunk is cut only after a pre-token that ends with a
  // non-space character, so it splits into the same pre-tokens as in the whole
  // text (a cut after whitespace would change what \s+(?!\S) sees: "\n\nA"
  // is "\n", "\n", "A" but "\n\n" alone is one pre-token). This was checked
  // once against encoder.encode of the whole Gatsby text: same 82,439 ids.
  const text = fs.readFileSync(file, 'utf8');
  const ids = [];
  let chunk = '';
  let count = 0;
  for (const m of text.matchAll(pat)) {
    chunk += m[0];
    if (++count >= 256 && /\S$/u.test(m[0])) {
      for (const id of encoder.encode(chunk)) ids.push(id);
      chunk = '';
      count = 0;
    }
  }
  for (const id of encoder.encode(chunk)) ids.push(id);
  process.stdout.write(JSON.stringify(ids));
} else if (mode === 'batch') {
  const texts = JSON.parse(fs.readFileSync(file, 'utf8'));
  const out = { ids: [], pieces: [] };
  for (const text of texts) {
    out.ids.push(encoder.encode(text));
    out.pieces.push(Array.from(text.matchAll(pat), (m) => m[0]));
  }
  process.stdout.write(JSON.stringify(out));
} else {
  console.error('usage: node gpt2_reference.js PACKAGE_DIR ids|batch FILE');
  process.exit(2);
}
