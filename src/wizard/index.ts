export * from './endpoint-wizard.js'
export * from './messages.js'
export * from './names.js'
export * from './prompter.js'
