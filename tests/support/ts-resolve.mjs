// `node --import ./tests/support/ts-resolve.mjs`: lets a child process import our TypeScript
// sources directly (Node strips the types), resolving the `.js` suffixes they import by to `.ts`.
import { registerHooks } from 'node:module'

registerHooks({
  resolve(specifier, context, next) {
    try {
      return next(specifier, context)
    } catch (err) {
      if (specifier.startsWith('.') && specifier.endsWith('.js')) return next(`${specifier.slice(0, -3)}.ts`, context)
      throw err
    }
  },
})
