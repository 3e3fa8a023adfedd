// Property: for random datamodels (scalars of every type, enums, scalar lists, relations of every cardinality) and
// random data, export -> import into a fresh stage -> export gives the same data, through the built CLI against
// the stand-in.
import assert from 'node:assert/strict'
import {join} from 'node:path'
import {after, before, test} from 'node:test'
import fc from 'fast-check'

import {runCli} from '../helpers/cli.js'
import {startManagementServer, type ManagementServer} from '../stand-in/management-server.js'
import {canonical, dataProject, deployed, zipValues} from './fixtures.js'

type Scalar = 'String' | 'Int' | 'Float' | 'Boolean' | 'DateTime' | 'Json' | 'Color'
type Cardinality = 'one-to-one' | 'one-to-many' | 'many-to-many' | 'one-sided-one' | 'one-sided-many'

interface ModelSpec {
  scalars: Array<{type: Scalar; required: boolean}>
  lists: Array<'String' | 'Int'>
}

interface RelationSpec {
  from: number
  to: number
  cardinality: Cardinality
}

const scalarArb = fc.constantFrom<Scalar>('String', 'Int', 'Float', 'Boolean', 'DateTime', 'Json', 'Color')
const modelArb = fc.record({
  lists: fc.array(fc.constantFrom<'String' | 'Int'>('String', 'Int'), {maxLength: 2}),
  scalars: fc.array(fc.record({required: fc.boolean(), type: scalarArb}), {maxLength: 5}),
})
const schemaArb = fc.array(modelArb, {maxLength: 3, minLength: 1}).chain((models) =>
  fc.record({
    models: fc.constant(models),
    relations: fc.array(
      fc.record({
        cardinality: fc.constantFrom<Cardinality>('one-to-one', 'one-to-many', 'many-to-many', 'one-sided-one', 'one-sided-many'),
        from: fc.nat(models.length - 1),
        to: fc.nat(models.length - 1),
      }),
      {maxLength: 4},
    ),
  }),
)

function datamodelOf(models: ModelSpec[], relations: RelationSpec[]): string {
  const fields: string[][] = models.map((model) => [
    'id: ID! @id',
    ...model.scalars.map((scalar, f) => `s${f}: ${scalar.type}${scalar.required ? '!' : ''}`),
    ...model.lists.map((type, f) => `l${f}: [${type}] @scalarList(strategy: RELATION)`),
  ])
  for (const [r, relation] of relations.entries()) {
    const name = `R${r}`
    const [a, b] = [`M${relation.from}`, `M${relation.to}`]
    const forward = `r${r}a`
    const back = `r${r}b`
    switch (relation.cardinality) {
      case 'one-to-one': {
        fields[relation.from].push(`${forward}: ${b} @relation(name: "${name}", link: INLINE)`)
        fields[relation.to].push(`${back}: ${a} @relation(name: "${name}")`)
        break
      }

      case 'one-to-many': {
        fields[relation.from].push(`${forward}: [${b}] @relation(name: "${name}")`)
        fields[relation.to].push(`${back}: ${a} @relation(name: "${name}")`)
        break
      }

      case 'many-to-many': {
        fields[relation.from].push(`${forward}: [${b}] @relation(name: "${name}", link: TABLE)`)
        fields[relation.to].push(`${back}: [${a}] @relation(name: "${name}")`)
        break
      }

      case 'one-sided-one': {
        fields[relation.from].push(`${forward}: ${b} @relation(name: "${name}")`)
        break
      }

      case 'one-sided-many': {
        fields[relation.from].push(`${forward}: [${b}] @relation(name: "${name}", link: TABLE)`)
        break
      }
    }
  }

  return `enum Color { RED GREEN BLUE }\n\n${fields.map((list, m) => `type M${m} {\n${list.map((field) => `  ${field}`).join('\n')}\n}`).join('\n\n')}\n`
}

const text = fc.string({maxLength: 12, unit: 'grapheme'})
const json = fc.jsonValue({maxDepth: 2}).filter((value) => value !== null)
const date = fc.date({max: new Date('2100-01-01'), min: new Date('1970-01-01'), noInvalidDate: true}).map((value) => value.toISOString())
const double = fc.double({noDefaultInfinity: true, noNaN: true}).map((value) => (Object.is(value, -0) ? 0 : value))

function valueArb(type: Scalar): fc.Arbitrary<unknown> {
  switch (type) {
    case 'String': {
      return text
    }

    case 'Int': {
      return fc.integer({max: 2 ** 31 - 1, min: -(2 ** 31)})
    }

    case 'Float': {
      return double
    }

    case 'Boolean': {
      return fc.boolean()
    }

    case 'DateTime': {
      return date
    }

    case 'Json': {
      return json
    }

    case 'Color': {
      return fc.constantFrom('RED', 'GREEN', 'BLUE')
    }
  }
}

/** Random NDF data that fits the schema: nodes, list values and relations that respect each cardinality. */
function dataArb(models: ModelSpec[], relations: RelationSpec[]) {
  return fc.array(fc.nat(6), {maxLength: models.length, minLength: models.length}).chain((counts) => {
    const ids = counts.map((count, m) => Array.from({length: count}, (_, index) => `m${m}n${index}`))
    const nodes = fc.tuple(
      ...models.flatMap((model, m) =>
        ids[m].map((id) =>
          fc
            .tuple(...model.scalars.map((scalar) => (scalar.required ? valueArb(scalar.type) : fc.option(valueArb(scalar.type), {nil: undefined}))))
            .map((values) => {
              const node: Record<string, unknown> = {_typeName: `M${m}`, id}
              for (const [f, value] of values.entries()) if (value !== undefined) node[`s${f}`] = value
              return node
            }),
        ),
      ),
    )
    const lists = fc.tuple(
      ...models.flatMap((model, m) =>
        ids[m].flatMap((id) =>
          model.lists.map((type, f) =>
            fc.array<unknown>(type === 'Int' ? fc.integer({max: 1000, min: -1000}) : text, {maxLength: 4, minLength: 1}).map((values) => ({_typeName: `M${m}`, id, [`l${f}`]: values})),
          ),
        ),
      ),
    )
    const pairs = fc.tuple(
      ...relations.map((relation, r) =>
        fc.array(fc.tuple(fc.nat(), fc.nat()), {maxLength: 6}).map((raw) => {
          const left = ids[relation.from]
          const right = ids[relation.to]
          if (left.length === 0 || right.length === 0) return []
          const seen = new Set<string>()
          const usedLeft = new Set<string>()
          const usedRight = new Set<string>()
          const tuples: unknown[] = []
          const toOne = relation.cardinality === 'one-to-one' || relation.cardinality === 'one-sided-one'
          for (const [i, j] of raw) {
            const [a, b] = [left[i % left.length], right[j % right.length]]
            const key = `${a}|${b}`
            if (seen.has(key)) continue
            // a to-one side holds one partner; a self-relation also must not pair a node with a partner twice over
            if (toOne && (usedLeft.has(a) || usedRight.has(b))) continue
            if (relation.cardinality === 'one-to-one' && relation.from === relation.to && (usedRight.has(a) || usedLeft.has(b) || a === b)) continue
            if (relation.cardinality === 'one-to-many' && usedRight.has(b)) continue
            seen.add(key)
            usedLeft.add(a)
            usedRight.add(b)
            const forward = {_typeName: `M${relation.from}`, fieldName: `r${r}a`, id: a}
            const back: Record<string, string> = {_typeName: `M${relation.to}`, id: b}
            if (!relation.cardinality.startsWith('one-sided')) back.fieldName = `r${r}b`
            tuples.push([forward, back])
          }

          return tuples
        }),
      ),
    )
    return fc.record({lists, nodes, relations: pairs.map((groups) => groups.flat())})
  })
}

let server: ManagementServer
before(async () => {
  server = await startManagementServer({exportPageLimit: 2000, migrationStepMs: 1})
})
after(() => server.close())

test('random datamodels and data survive export -> import -> export unchanged', async () => {
  let run = 0
  await fc.assert(
    fc.asyncProperty(
      schemaArb.chain((schema) => fc.record({data: dataArb(schema.models, schema.relations), schema: fc.constant(schema)})),
      async ({data, schema}) => {
        run++
        const datamodel = datamodelOf(schema.models, schema.relations)
        const source = await deployed(await dataProject(`${server.url}/prop${run}/a`, '', {}, datamodel))
        for (const [valueType, values] of [['nodes', data.nodes], ['lists', data.lists], ['relations', data.relations]] as const) {
          assert.deepEqual(server.importData(`prop${run}`, 'a', {valueType, values: values as unknown[]}), [], `${valueType} fit the datamodel:\n${datamodel}`)
        }

        const first = await runCli(['export', '-p', 'first.zip'], {cwd: source})
        assert.equal(first.code, 0, first.stderr)
        const target = await deployed(await dataProject(`${server.url}/prop${run}/b`, '', {}, datamodel))
        const imported = await runCli(['import', '--data', join(source, 'first.zip')], {cwd: target})
        assert.equal(imported.code, 0, `${imported.stderr}\n${datamodel}`)
        const second = await runCli(['export', '-p', 'second.zip'], {cwd: target})
        assert.equal(second.code, 0, second.stderr)
        const before = canonical(await zipValues(join(source, 'first.zip')))
        assert.deepEqual(before, canonical(server.data(`prop${run}`, 'a')), 'the export holds the stage data')
        assert.deepEqual(canonical(await zipValues(join(target, 'second.zip'))), before, `datamodel:\n${datamodel}`)
      },
    ),
    {numRuns: 5},
  )
})
