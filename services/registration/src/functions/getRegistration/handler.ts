import { createDocumentClient } from '@tenantry/data';
import { httpHandler, json, pathParameter } from '@tenantry/tenant-middleware';
import { buildRegistrationStore } from '../../adapters/registration-store.js';
import { loadConfig } from '../../config.js';
import { getRegistration, registrationIdField } from '../../domain/registration.js';

const config = loadConfig();
const deps = { registrations: buildRegistrationStore(createDocumentClient(), config.registrationTableName) };

export const handler = httpHandler({ auth: 'none' }).handler(async (event) =>
  json(200, await getRegistration(deps, pathParameter(event, 'registrationId', registrationIdField))),
);
