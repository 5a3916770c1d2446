/** The project's types live in the pure core (src/domain); machines/ imports them, never the other way round. */
export * from '../src/domain/project.types.ts';
