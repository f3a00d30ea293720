/** Public entry of the activity module: the only file other packages may import. */
export { createActivityModule, type ActivityModulePorts } from './create-module';
