// Reading the sample's CSV the way the scenarios need to. Pure, unit-tested.

/** The 1-based line of the first row whose field count differs from the header's (no quoting subtleties beyond double quotes). */
export function firstRaggedLine(text: string): number | undefined {
  const rows = text.split(/\r?\n/);
  const count = (row: string) => {
    let fields = 1;
    let quoted = false;
    for (const ch of row) {
      if (ch === '"') quoted = !quoted;
      else if (ch === ',' && !quoted) fields++;
    }
    return fields;
  };
  const width = count(rows[0] ?? '');
  const i = rows.findIndex((row, index) => index > 0 && row !== '' && count(row) !== width);
  return i < 0 ? undefined : i + 1;
}
