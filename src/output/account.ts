/** Text of `prisma account`, as the original printed it. */
import type {AccountReport} from '../services/account.js'

export function formatAccount(account: AccountReport): string {
  return `Email: ${account.email ?? '(none)'}\nName:  ${account.name ?? '(none)'}`
}
