/**
 * Where a JSON text stops being valid, for error messages: JSON.parse in some engines
 * names no position. A scanner of the JSON grammar (RFC 8259) that builds no values and
 * keeps an explicit stack, so any nesting depth is fine. Returns the offset of the first
 * character that cannot continue a valid text (text.length if the text ends too early),
 * or -1 if the text is valid JSON.
 */
export function jsonErrorOffset(text: string): number {
  let p = 0;
  const n = text.length;
  const ws = () => {
    while (p < n && (text[p] === ' ' || text[p] === '\t' || text[p] === '\n' || text[p] === '\r'))
      p++;
  };
  const string = (): boolean => {
    p++; // opening quote
    while (p < n) {
      const c = text.charCodeAt(p);
      if (c === 0x22) {
        p++;
        return true;
      }
      if (c < 0x20) return false;
      if (c === 0x5c) {
        const e = text[p + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(p + 2, p + 6))) {
            p += 2;
            return false;
          }
          p += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) p += 2;
        else {
          p++;
          return false;
        }
      } else p++;
    }
    return false;
  };
  const number = (): boolean => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(p, p + 400));
    if (!m) return false;
    p += m[0].length;
    return true;
  };
  const literal = (): boolean => {
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, p)) {
        p += word.length;
        return true;
      }
    }
    return false;
  };
  const key = (): boolean => {
    ws();
    if (text[p] !== '"' || !string()) return false;
    ws();
    if (text[p] !== ':') return false;
    p++;
    return true;
  };
  // Open containers, '{' or '['; after a value, close or continue the one on top.
  const stack: string[] = [];
  let expectValue = true;
  for (;;) {
    ws();
    if (expectValue) {
      const c = text[p];
      if (c === '{' || c === '[') {
        stack.push(c);
        p++;
        ws();
        if (text[p] === (c === '{' ? '}' : ']')) {
          stack.pop();
          p++;
          expectValue = false;
        } else if (c === '{' && !key()) return Math.min(p, n);
        continue;
      }
      const ok =
        c === '"'
          ? string()
          : c === '-' || (c !== undefined && c >= '0' && c <= '9')
            ? number()
            : literal();
      if (!ok) return Math.min(p, n);
      expectValue = false;
      continue;
    }
    if (stack.length === 0) return p === n ? -1 : p;
    const top = stack[stack.length - 1];
    if (text[p] === (top === '{' ? '}' : ']')) {
      stack.pop();
      p++;
      continue;
    }
    if (text[p] !== ',') return Math.min(p, n);
    p++;
    if (top === '{' && !key()) return Math.min(p, n);
    expectValue = true;
  }
}
