/** What a docs code block must show for an `<!-- example: file[#region] -->` marker. */
export function shown(target: string): string;
