/**
 * A command's argument syntax as redis-cli 7.0 prints it in `help <command>` and in its hints
 * ("key value [NX|XX] [GET] ..."), built from the COMMAND DOCS argument tree.
 */
export interface DocArg {
  name: string;
  type: string;
  token?: string;
  flags?: string[];
  arguments?: DocArg[];
}

function argumentSyntax(arg: DocArg): string {
  const flags = arg.flags ?? [];
  let name: string | null;
  if (arg.type === 'block') name = (arg.arguments ?? []).map(argumentSyntax).join(' ');
  else if (arg.type === 'oneof') name = (arg.arguments ?? []).map(argumentSyntax).join('|');
  else if (arg.type === 'pure-token') name = null;
  else name = arg.name;
  if (flags.includes('multiple')) {
    name = flags.includes('multiple_token') ? `${name} [${arg.token ?? ''} ${name} ...]` : `${name} [${name} ...]`;
  }
  if (arg.token !== undefined) {
    const token = arg.token === '' ? '""' : arg.token; // MIGRATE's empty-string key
    name = name === null ? token : `${token} ${name}`;
  }
  if (flags.includes('optional')) name = `[${name ?? ''}]`;
  return name ?? '';
}

/** The whole argument list of a command, e.g. "key [key ...]". Empty for commands without arguments. */
export function commandSyntax(args: DocArg[]): string {
  return args.map(argumentSyntax).join(' ');
}
