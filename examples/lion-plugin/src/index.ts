import { definePlugin } from '@biaslab/core';
import { lionOptimizer } from './lion';

export { lion, lionOptimizer, lionOptions } from './lion';
export type { LionOptions, LionState } from './lion';

/**
 * The plugin biaslab loads: `biaslab sweep --plugin biaslab-plugin-lion --optimizer lion`. A plain value;
 * importing this module registers nothing.
 */
const plugin = definePlugin({
  name: 'biaslab-plugin-lion',
  // The plugin API version this code was written against (not the host's API_VERSION: a host that speaks
  // another version must refuse the plugin rather than run it).
  apiVersion: 2,
  components: [lionOptimizer],
});

export default plugin;
export { plugin };
