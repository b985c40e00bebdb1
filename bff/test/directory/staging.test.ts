import { expect, it } from 'vitest'
import { arrayLiteral } from '../../src/directory/staging'
import { describeEachDb } from '../helpers/test-db'

// The sync stages each member's arrays as array literals cast in SQL: every value must come back
// as it went in, whatever characters a name or userid holds.
describeEachDb('arrayLiteral', (open) => {
  it('round-trips text with quotes, backslashes, commas, braces, spaces and the word NULL', async () => {
    const db = await open()
    try {
      const values = ['a"b', 'c\\d', 'e,f', '{x}', 'NULL', '', ' lead ', '张三', 'x\\"y']
      const [row] = await db.query<{ v: string[] }>('select $1::text::text[] as v', [arrayLiteral(values)])
      expect(row!.v).toEqual(values)
      const [empty] = await db.query<{ v: string[] }>('select $1::text::text[] as v', [arrayLiteral([])])
      expect(empty!.v).toEqual([])
    } finally {
      await db.close()
    }
  })

  it('carries integers, bigints and booleans', async () => {
    const db = await open()
    try {
      const [row] = await db.query<{ i: number[]; b: string[]; l: boolean[] }>('select $1::text::int[] as i, $2::text::bigint[] as b, $3::text::boolean[] as l', [
        arrayLiteral([1, -2, 2147483647]),
        arrayLiteral([9007199254740991, 0]),
        arrayLiteral([true, false]),
      ])
      expect(row!.i).toEqual([1, -2, 2147483647])
      expect(row!.b.map(String)).toEqual(['9007199254740991', '0'])
      expect(row!.l).toEqual([true, false])
    } finally {
      await db.close()
    }
  })
})
