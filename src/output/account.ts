/** Text of `prisma account`, as the original printed it. */
import type {AccountResult} from '../actions/account.js'

export function formatAccount(account: Pick<AccountResult, 'email' | 'name'>): string {
  return `Email: ${account.email ?? '(none)'}\nName:  ${account.name ?? '(none)'}`
}
