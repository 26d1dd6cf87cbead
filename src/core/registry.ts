import { BugError } from './errors.js';
import type { AnyPlugin, DestinationPlugin, SourcePlugin, StateStorePlugin, TransformPlugin } from './plugin.js';

type Kind = AnyPlugin['kind'];
type PluginOf<K extends Kind> = Extract<AnyPlugin, { kind: K }>;

/**
 * The plugins a configuration may name. The configuration's connection types, job references,
 * `check`, secret resolution and masking are all derived from it: adding a connector is one
 * `register` (the built-in list, or a test registering its own).
 */
export class PluginRegistry {
  private readonly byKind: { [K in Kind]: Map<string, PluginOf<K>> } = {
    source: new Map(),
    destination: new Map(),
    transform: new Map(),
    store: new Map(),
  };

  /** adds plugins; a connection type names one connector, sources and destinations alike */
  register(...plugins: AnyPlugin[]): this {
    for (const p of plugins) {
      const taken = p.kind === 'source' || p.kind === 'destination' ? this.connection(p.type) : this.byKind[p.kind].get(p.type);
      if (taken) throw new BugError('PLUGIN_DUPLICATE', `a ${taken.kind} plugin of type "${p.type}" is already registered`);
      (this.byKind[p.kind] as Map<string, AnyPlugin>).set(p.type, p);
    }
    return this;
  }

  /** removes a plugin (tests that register their own) */
  unregister(plugin: AnyPlugin): void {
    const map = this.byKind[plugin.kind] as Map<string, AnyPlugin>;
    if (map.get(plugin.type) === plugin) map.delete(plugin.type);
  }

  list<K extends Kind>(kind: K): PluginOf<K>[] {
    return [...this.byKind[kind].values()];
  }

  types(kind: Kind): string[] {
    return [...this.byKind[kind].keys()];
  }

  source(type: string): SourcePlugin | undefined {
    return this.byKind.source.get(type);
  }

  destination(type: string): DestinationPlugin | undefined {
    return this.byKind.destination.get(type);
  }

  transform(type: string): TransformPlugin | undefined {
    return this.byKind.transform.get(type);
  }

  store(type: string): StateStorePlugin | undefined {
    return this.byKind.store.get(type);
  }

  /** the plugin a connection's `type` names: a source or a destination */
  connection(type: string): SourcePlugin | DestinationPlugin | undefined {
    return this.byKind.source.get(type) ?? this.byKind.destination.get(type);
  }

  /** runs every plugin's `prepare` (each loads its implementation once): before any `create` */
  async prepare(): Promise<void> {
    const all: AnyPlugin[] = [...this.list('source'), ...this.list('destination'), ...this.list('transform'), ...this.list('store')];
    await Promise.all(all.map((p) => p.prepare?.()));
  }

  /** every connection type, sources first, for messages */
  connectionTypes(): string[] {
    return [...this.types('source'), ...this.types('destination')];
  }
}
