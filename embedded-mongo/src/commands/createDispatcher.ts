import { registerAggregateCommand } from './aggregateCommand.js';
import { registerAuthCommands } from './authCommands.js';
import { CommandDispatcher } from './CommandDispatcher.js';
import { registerCatalogCommands } from './catalogCommands.js';
import { registerCollModCommand } from './collModCommand.js';
import { registerDiagnosticCommands } from './diagnosticCommands.js';
import { registerFindAndModifyCommand } from './findAndModifyCommand.js';
import { registerIndexCommands } from './indexCommands.js';
import { registerQueryCommands } from './queryCommands.js';
import { registerWriteCommands } from './writeCommands.js';

/** A dispatcher with every command this server implements. */
export function createDispatcher(log?: (line: string) => void): CommandDispatcher {
  const dispatcher = new CommandDispatcher(log);
  registerDiagnosticCommands(dispatcher);
  registerAuthCommands(dispatcher);
  registerQueryCommands(dispatcher);
  registerWriteCommands(dispatcher);
  registerFindAndModifyCommand(dispatcher);
  registerAggregateCommand(dispatcher);
  registerIndexCommands(dispatcher);
  registerCatalogCommands(dispatcher);
  registerCollModCommand(dispatcher);
  return dispatcher;
}
