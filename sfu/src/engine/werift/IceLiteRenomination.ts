/** The parts of werift's ICE `Connection` (werift 0.25) the renomination reaches into. */
interface CandidatePairInternals {
  readonly protocol: unknown;
  readonly remoteAddr: [string, number];
  readonly nominated: boolean;
  readonly remoteCandidate: { generation?: number };
}

interface ConnectionInternals {
  readonly iceLite: boolean;
  readonly generation: number;
  readonly checkList: CandidatePairInternals[];
  nominated?: CandidatePairInternals;
  checkIncoming(message: { attributesKeys: string[] }, addr: [string, number], protocol: unknown): void;
}

/** Where an ICE-lite transport sends now: the remote address of the pair the browser nominated last. */
export interface SelectedTuple {
  remoteIp: string;
  remotePort: number;
  protocol: 'udp';
}

/**
 * Makes werift's ICE-lite agent follow the browser's latest nomination, as mediasoup's ICE server does.
 *
 * werift keeps the first pair nominated for good (RFC 8445 §8.1.1 for a full agent). A browser nominates again
 * when it switches pairs: Chromium gathering two TURN allocations nominates one, then the other; after a network
 * change it nominates the new address. werift then kept sending everything (RTP to a receiver, RTCP feedback to a
 * sender) to the pair the browser had left: through a relay, to an allocation the browser no longer reads as its
 * selected path, and after an address switch, to an address that is gone. An ICE-lite agent has no checks of its
 * own to choose with, so the controlling side's last USE-CANDIDATE is the only word on where the browser listens.
 */
export class IceLiteRenomination {
  readonly #connection: ConnectionInternals;
  readonly #onChange: (tuple: SelectedTuple) => void;

  constructor(connection: unknown, onChange: (tuple: SelectedTuple) => void = () => undefined) {
    this.#connection = connection as ConnectionInternals;
    this.#onChange = onChange;
    const original = this.#connection.checkIncoming.bind(this.#connection);
    // werift calls `this.checkIncoming(...)` for every authenticated binding request: wrap it on this instance.
    this.#connection.checkIncoming = (message, addr, protocol) => {
      original(message, addr, protocol);
      if (message.attributesKeys.includes('USE-CANDIDATE')) this.#follow(addr, protocol);
    };
  }

  /** The remote end of the selected pair, or undefined before the browser nominated one. */
  get selectedTuple(): SelectedTuple | undefined {
    const pair = this.#connection.nominated;
    if (!pair) return undefined;
    return { remoteIp: pair.remoteAddr[0], remotePort: pair.remoteAddr[1], protocol: 'udp' };
  }

  #follow(addr: [string, number], protocol: unknown): void {
    const connection = this.#connection;
    if (!connection.iceLite || !connection.nominated) return;
    const pair = connection.checkList.find(
      (p) => p.protocol === protocol && p.remoteAddr[0] === addr[0] && p.remoteAddr[1] === addr[1],
    );
    if (!pair || pair === connection.nominated || !pair.nominated) return;
    const generation = pair.remoteCandidate.generation;
    if (generation !== undefined && generation !== connection.generation) return;
    connection.nominated = pair;
    const tuple = this.selectedTuple;
    if (tuple) this.#onChange(tuple);
  }
}
