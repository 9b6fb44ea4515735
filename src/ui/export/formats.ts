import {
  exportEinsum,
  exportJax,
  exportLatex,
  exportPyTorch,
  exportTfjs,
  type ExportSubject,
} from '../../core/export/index.ts';
import { checksMarkdown, type DiagramChecks } from '../../core/check/diagramChecks.ts';
import type { Network } from '../../core/network.ts';
import { fileStem } from './download.ts';
import { diagramSvg } from './svg.ts';
import { diagramTikz } from './tikz.ts';
import type { Point } from '../diagram/diagramLayout.ts';
import type { Geometry } from '../diagram/geometry.ts';

/**
 * What can be exported from a diagram, and how each format is made. Code and formulas
 * come from the core's exporters (src/core/export); pictures from the diagram's layout.
 */
export type ExportFormat =
  'pytorch' | 'jax' | 'tfjs' | 'einsum' | 'latex' | 'checks' | 'svg' | 'tikz' | 'png';

export interface FormatInfo {
  id: ExportFormat;
  label: string;
  /** File name ending. */
  suffix: string;
  mime: string;
  /** Text formats can be copied as well as downloaded. */
  text: boolean;
}

export const FORMATS: readonly FormatInfo[] = [
  { id: 'pytorch', label: 'PyTorch', suffix: '.py', mime: 'text/x-python', text: true },
  { id: 'jax', label: 'JAX', suffix: '-jax.py', mime: 'text/x-python', text: true },
  { id: 'tfjs', label: 'TensorFlow.js', suffix: '.mjs', mime: 'text/javascript', text: true },
  { id: 'einsum', label: 'einsum string', suffix: '.einsum.txt', mime: 'text/plain', text: true },
  { id: 'latex', label: 'LaTeX formula', suffix: '.tex', mime: 'application/x-tex', text: true },
  { id: 'checks', label: 'step checks', suffix: '.checks.md', mime: 'text/markdown', text: true },
  { id: 'svg', label: 'SVG picture', suffix: '.svg', mime: 'image/svg+xml', text: true },
  { id: 'tikz', label: 'TikZ picture', suffix: '.tikz.tex', mime: 'application/x-tex', text: true },
  { id: 'png', label: 'PNG picture', suffix: '.png', mime: 'image/png', text: false },
];

export interface ExportTarget {
  /** The diagram's value (all its terms): what code and formulas compute. */
  subject: ExportSubject;
  /** The network on screen: what pictures show. */
  network: Network;
  positions?: Readonly<Record<string, Point>>;
  /** The diagram's layout, as the canvas draws it (pictures only). */
  geometry?: Geometry;
  title: string;
  /**
   * The numerical check of every derivation step (computed when a format needs it): the
   * PyTorch, JAX and TF.js scripts re-run them, the step-checks format lists them.
   */
  checks?: () => DiagramChecks;
}

export function fileName(target: ExportTarget, format: FormatInfo): string {
  return `${fileStem(target.title, 'diagram')}${format.suffix}`;
}

/** The text of a text format. Throws an EinsketchError when the exporter cannot. */
export function exportText(format: ExportFormat, target: ExportTarget): string {
  switch (format) {
    case 'pytorch':
      return exportPyTorch(target.subject, target.checks ? { checks: target.checks() } : {});
    case 'jax':
      return exportJax(target.subject, target.checks ? { checks: target.checks() } : {});
    case 'tfjs':
      return exportTfjs(target.subject, target.checks ? { checks: target.checks() } : {});
    case 'einsum':
      return `${exportEinsum(target.subject, 'named', { declared: true })}\n${exportEinsum(target.subject, 'letters', { declared: true })}\n`;
    case 'latex':
      return `${exportLatex(target.subject)}\n`;
    case 'checks':
      return checksMarkdown(
        target.title,
        target.checks ? target.checks() : { checks: [], instance: '' },
      );
    case 'svg':
      return diagramSvg(target.network, {
        geometry: target.geometry,
        positions: target.positions,
        title: target.title,
      }).svg;
    case 'tikz':
      return diagramTikz(target.network, {
        geometry: target.geometry,
        positions: target.positions,
      });
    case 'png':
      throw new Error('a PNG is not text');
  }
}
