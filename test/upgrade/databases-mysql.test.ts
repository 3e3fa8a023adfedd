// prisma upgrade against a real MariaDB server: see database-suite.ts and harness.ts.
import {databaseSuite} from './database-suite.js'

databaseSuite('mysql')
