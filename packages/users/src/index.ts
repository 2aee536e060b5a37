export { UserExistsError } from './errors.js';
export {
  buildUserPools,
  type PoolUser,
  type PoolUserPage,
  TENANT_ID_ATTRIBUTE,
  USER_ROLE_ATTRIBUTE,
  type UserPools,
} from './user-pools.js';
