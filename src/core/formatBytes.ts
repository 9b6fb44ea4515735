/**
 * Bytes in binary units with three significant digits, as every message and table shows
 * them: '512 B', '4.00 KiB', '128 MiB', '1.07 GiB'. One formatter, so a budget in an error
 * message reads the same as the run panel's peak column it is compared with.
 */
export function formatBytes(bytes: number): string {
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = -1;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit < 0 ? `${bytes} B` : `${value.toPrecision(3)} ${units[unit]}`;
}
