from django.urls import path

from . import views

app_name = "media_pipeline"
urlpatterns = [
    path("mine/", views.my_videos, name="my_videos"),
    path("mine/link/", views.my_video_add_link, name="my_video_add_link"),
    path("mine/upload/", views.my_video_upload_start, name="my_video_upload_start"),
    path("ours/", views.our_videos, name="our_videos"),
    path("offices/<int:office_id>/", views.office_videos, name="office_videos"),
    path("offices/<int:office_id>/link/", views.office_video_add_link, name="office_video_add_link"),
    path("offices/<int:office_id>/upload/", views.office_video_upload_start, name="office_video_upload_start"),
    path("<int:pk>/", views.video_detail, name="video_detail"),
    path("<int:pk>/remove/", views.video_remove, name="video_remove"),
    path("<int:pk>/publish/", views.video_publish, name="video_publish"),
    path("<int:pk>/recheck/", views.video_recheck, name="video_recheck"),
    path("<int:pk>/upload/", views.video_upload_local, name="video_upload_local"),
    path("<int:pk>/upload/finish/", views.video_upload_finish, name="video_upload_finish"),
    path("<int:pk>/play/", views.video_file, name="video_file"),
    path("<int:pk>/thumbnail/", views.video_thumbnail, name="video_thumbnail"),
    path("evidence/", views.my_evidence, name="my_evidence"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("evidence/<int:pk>/remove/", views.evidence_remove, name="evidence_remove"),
    path("evidence/<int:pk>/attach/", views.evidence_attach, name="evidence_attach"),
]
