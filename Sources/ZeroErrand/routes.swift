import Vapor

func routes(_ app: Application) throws {
    try app.register(collection: HomeController())
    try app.register(collection: RegistrationController())
    try app.register(collection: SignInController())
    try app.register(collection: PasswordResetController())
    try app.register(collection: AccountSettingsController())
    try app.register(collection: CatalogueController())
    try app.register(collection: MatterAPIController())
    try app.register(collection: OpenAPIController())
    try app.register(collection: OfficeController())
    try app.register(collection: ServicePointDeskController())
    try app.register(collection: AdminController())
    try app.register(collection: DepartmentAdminController())
    try app.register(collection: StaffAdminController())
    try app.register(collection: ServicePointAdminController())
    try app.register(collection: MatterAdminController())
    try app.register(collection: ApplicationsController())
    try app.register(collection: OfficeCasesController())
    try app.register(collection: NotificationsController())
    try app.register(collection: SessionAPIController())
    try app.register(collection: CaseAPIController())
}
