import layersFile from '../../../test/fixtures/layers.json';
import type { LayersFile } from '../../engine/bench/layersFile.ts';

/** The benchmark layer suite (the project's copy of ../shared/bench/layers.json). */
export const LAYERS_FILE = layersFile as LayersFile;
