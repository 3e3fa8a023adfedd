// prisma upgrade against a real PostgreSQL server: see database-suite.ts and harness.ts.
import {databaseSuite} from './database-suite.js'

databaseSuite('postgres')
