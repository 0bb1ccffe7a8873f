// What each side of each port sends, in its wire form: the protocol's messages as
// core/wire/protocol.ts defines them, after core/wire/wire.ts packed the ones that carry events.
import type { HubToPanel, HubToRelay, PanelToHub, RelayToHub } from '../core/wire/protocol.ts';
import type { PackedHubEvents, PackedRelayEvents } from '../core/wire/wire.ts';
import type { TypedPort } from './port.ts';

export type RelayToHubWire = RelayToHub | PackedRelayEvents;
export type HubToPanelWire = HubToPanel | PackedHubEvents;

/** The hub's end of a relay's port. */
export type RelayPort = TypedPort<RelayToHubWire, HubToRelay>;
/** The hub's end of a panel's port. */
export type PanelPort = TypedPort<PanelToHub, HubToPanelWire>;
