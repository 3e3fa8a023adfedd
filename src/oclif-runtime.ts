// What bin/cli.js runs: oclif's runner, from the bundled copy of @oclif/core that the commands use too (two copies
// would not share oclif's state). Importing it loads the whole @oclif/core index.
export {execute} from '@oclif/core'
