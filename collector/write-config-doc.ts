import { readFileSync, writeFileSync } from 'node:fs';
import { CONFIGURATION_PAGE, withConfigurationTable } from './config-doc.ts';

// `npm run docs:config`: writes the configuration page's table of variables from their schemas.
writeFileSync(CONFIGURATION_PAGE, withConfigurationTable(readFileSync(CONFIGURATION_PAGE, 'utf8')));
