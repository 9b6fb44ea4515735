import layersFile from '../../../test/fixtures/layers.json';
import type { LayersFile } from '../../engine/bench/layersFile.ts';

/** The benchmark layer suite (test/fixtures/layers.json, docs/design.md §5.1). */
export const LAYERS_FILE = layersFile as LayersFile;
