export { vneidCredentialPlugin, VNEID_ANSWERS } from './plugin.js';
export { VneidCredentialDestination, answerFor, type PersonCredentials } from './destination.js';
export { CredentialServiceClient, errorForFault, errorForNoAnswer, errorForStatus } from './service-client.js';
export type { CallOptions, CredentialServiceOptions, HeldCredential, PublishAnswer, QueryAnswer, RevokeAnswer } from './service-client.js';
export { CREDENTIAL_TYPES, credentialOf, decodeCredential, encodeCredential, messageIdFor } from './credential.js';
export type { CredentialType, EncodedCredential, EncodedProblem, EncodedPublish, EncodedRevoke, PublishRequest } from './credential.js';
export { parseVneidCredentialConfig, vneidCredentialConfigSchema, vneidCredentialConnectionSchema } from './config.js';
export type { VneidCredentialConfig, VneidCredentialConfigInput, XRoadIdentifier } from './config.js';
export { credentialServiceWsdlPath, CREDENTIAL_NS } from './wsdl.js';
