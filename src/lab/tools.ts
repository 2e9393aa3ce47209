/** The tool list moved to the Host seam (hosts run the tools); re-exported for existing imports. */
export { TOOL_PACKAGES, describeTool, type Tool } from '../host/tools.js';
