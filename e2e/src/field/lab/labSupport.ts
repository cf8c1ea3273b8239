/**
 * Why the network lab cannot run here, or null when it can. It creates network namespaces, veth pairs, qdiscs and
 * nft rules, which needs root; a root without `ip`, `tc` or `nft` is a broken set-up and fails loudly instead.
 */
export function labUnavailableReason(): string | null {
  if (process.getuid?.() !== 0)
    return 'the network lab needs root (ip netns, tc, nft): run as root to include it';
  return null;
}
