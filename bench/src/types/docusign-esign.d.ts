/**
 * `docusign-esign` ships no type declarations; this describes the part the bench
 * calls, no more.
 */
declare module "docusign-esign" {
  export interface UserInformation {
    userId?: string;
    userName?: string;
    email?: string;
    userStatus?: string;
    errorDetails?: { errorCode?: string; message?: string };
  }
  export interface UserInformationList {
    users?: UserInformation[];
    resultSetSize?: string;
    totalSetSize?: string;
  }
  export class ApiClient {
    constructor(options?: { basePath?: string });
    setBasePath(path: string): void;
    addDefaultHeader(name: string, value: string): void;
  }
  export class UsersApi {
    constructor(client: ApiClient);
    getInformation(accountId: string, userId: string, options?: Record<string, string>): Promise<UserInformation>;
    list(accountId: string, options?: Record<string, string>): Promise<UserInformationList>;
    create(accountId: string, options: { newUsersDefinition: unknown }): Promise<{ newUsers?: UserInformation[] }>;
  }
  const docusign: { ApiClient: typeof ApiClient; UsersApi: typeof UsersApi };
  export default docusign;
}
