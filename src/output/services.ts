/** Texts of the commands that show a deployed service: info, list, delete, admin and playground. Pure functions. */
import type {ServiceInfo} from '../actions/info.js'
import type {ServiceListing} from '../actions/list.js'
import type {ServiceLink, ServicePage} from '../actions/links.js'
import type {Colors} from './colors.js'
import {formatTable} from './table.js'

/** `prisma info`, laid out as the original printed it. */
export function formatServiceInfo(info: ServiceInfo, c: Colors): string {
  const {document, server} = info
  const admin = server?.adminUrl ? `\n\nYou can view & edit your data here:\n\n  ${c.bold(`Prisma Admin: ${server.adminUrl}`)}` : ''
  return (
    `Service Name: ${c.bold(document.name)}\n\n` +
    `  ${c.bold(document.stage)} (cluster: ${c.bold(`\`${document.cluster}\``)})\n\n` +
    `    HTTP:       ${document.httpEndpoint}\n` +
    `    Websocket:  ${document.wsEndpoint}${admin}`
  )
}

/** What `info` says on stderr when the server could not be asked for its version. */
export function formatInfoServerNote(info: ServiceInfo): string | undefined {
  if (!info.server?.unreachable) return undefined
  return `The server could not be asked whether it serves Prisma Admin: ${info.server.unreachable.trimEnd()}`
}

export const noServicesLine = 'No deployed service found'

/** `prisma list`: the original's table (Service Name, Stage, Server), or its line for an empty server. */
export function formatServiceList(listing: Pick<ServiceListing, 'services'>): string {
  if (listing.services.length === 0) return noServicesLine
  return formatTable(
    ['Service Name', 'Stage', 'Server'],
    listing.services.map((service) => [service.name, service.stage, service.server]),
  )
}

/** The question `prisma delete` asks, with the original's words. */
export function deleteQuestion(endpoint: string, c: Colors): string {
  return `Are you sure that you want to delete ${c.bold(endpoint)}? y/N`
}

export function deletingText(endpoint: string, server: string, c: Colors): string {
  return c.red.bold(`Deleting service ${c.bold(endpoint)} from ${server}`)
}

export const deleteCancelledLine = 'Nothing was deleted.'

/** `prisma admin` / `prisma playground`: what is opened, and what the service's secret means for it. */
export function formatLink(link: Pick<ServiceLink, 'url'>, page: ServicePage): string {
  const name = page === 'admin' ? 'Prisma Admin' : 'GraphQL Playground'
  return `Opening ${name} ${link.url} in the browser`
}

export function linkNotes(link: Pick<ServiceLink, 'secured'>, page: ServicePage, opened: boolean): string[] {
  const notes: string[] = []
  if (link.secured) {
    notes.push(
      page === 'admin'
        ? opened
          ? 'The browser got the address with a service token (valid for one day).'
          : 'The service has a secret: add ?token=<token> to the address, with a token from prisma token.'
        : 'The service has a secret: in the Playground, set HTTP HEADERS to {"Authorization": "Bearer <token>"} with a token from prisma token.',
    )
  }

  if (!opened) notes.push('No browser was opened; open the address above in a browser.')
  return notes
}
