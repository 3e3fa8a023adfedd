// js-yaml 3 (the npm alias js-yaml3), the version the original CLI read prisma.yml with, as an ES module: the
// project's reader loads this file with import() (a CommonJS library imported so from the bundle gives only
// `default`).
import jsYaml3 from 'js-yaml3'

export const {safeLoad} = jsYaml3
